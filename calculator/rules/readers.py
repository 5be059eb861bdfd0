"""Input readers shared by several measures: areas, money, the agreed rate and shares, each with the
decimal places and bounds of parameters.toml's [limits] (the strict reading itself is inputs.py).
"""

from decimal import Decimal

from .. import inputs
from ..params import POLICY


def read_area(errors, request, key, *, path=None, required=False, positive=False):
    return inputs.read_decimal(errors, request, path or key, key, places=int(POLICY.limits["max_area_decimals"]),
                               maximum=POLICY.limits["max_area_mu"], required=required, positive=positive, unit="mu")


def read_money(errors, request, key, *, required=False, positive=False):
    return inputs.read_decimal(errors, request, key, key, places=int(POLICY.limits["max_money_decimals"]),
                               maximum=POLICY.limits["max_money_yuan"], required=required, positive=positive, unit="yuan")


def read_rate_percent(errors, request):
    return inputs.read_decimal(errors, request, "agreed_rate_percent", "agreed_rate_percent", places=2,
                               maximum=Decimal(100), unit="percent")


def read_shares(errors, request, path, key):
    return inputs.read_decimal(errors, request, path, key, places=int(POLICY.limits["max_share_decimals"]),
                               maximum=POLICY.limits["max_shares"], required=True, positive=True, unit="shares")
