"""Where to ask and what to bring: the county's own list of township offices (site.toml [contacts]).

The policy names no office, phone or list of documents, and the site must not invent them. The
county fills [[contacts.townships]] (per township: its name, office, phone, address and hours in
both languages; optionally `bring`, the township's own list of what to bring). Until it does, every
page that shows the block says "待县里填写 / To be filled in by the county", the leaflets carry the
not-for-printing band and the build warns. A township given but not complete stops the build by name.
"""

from __future__ import annotations

from .config import BuildError

BILINGUAL = ("name", "office", "address", "hours")
KEYS = BILINGUAL + ("phone", "bring")
WHERE = "site_src/site.toml [contacts]"


def _text(value, where):
    if not isinstance(value, str) or not value.strip():
        raise BuildError(f"{where} must be non-empty text")
    return value.strip()


def read_contacts(config):
    """The townships as [{name, office, address, hours: {zh, en}, phone, bring: {zh: [...], en: [...]} | None}]."""
    section = config.get("contacts", {})
    if not isinstance(section, dict):
        raise BuildError(f"{WHERE} must be a table")
    unknown = sorted(set(section) - {"townships"})
    if unknown:
        raise BuildError(f"{WHERE} has unknown keys {', '.join(unknown)}")
    townships = section.get("townships", [])
    if not isinstance(townships, list):
        raise BuildError(f"{WHERE}: townships must be a list of [[contacts.townships]] tables")
    read = []
    for number, entry in enumerate(townships, start=1):
        where = f"{WHERE} township {number}"
        if not isinstance(entry, dict):
            raise BuildError(f"{where} must be a table")
        missing = [key for key in KEYS[:-1] if key not in entry]
        extra = sorted(set(entry) - set(KEYS))
        if missing or extra:
            raise BuildError(f"{where}: " + "; ".join(
                ([f"missing {', '.join(missing)}"] if missing else []) + ([f"unknown {', '.join(extra)}"] if extra else [])))
        township = {"phone": _text(entry["phone"], f"{where} phone"), "bring": None}
        for key in BILINGUAL:
            value = entry[key]
            if not isinstance(value, dict) or set(value) != {"zh", "en"}:
                raise BuildError(f"{where} {key} must be {{ zh = \"…\", en = \"…\" }}")
            township[key] = {lang: _text(value[lang], f"{where} {key}.{lang}") for lang in ("zh", "en")}
        if "bring" in entry:
            bring = entry["bring"]
            if not isinstance(bring, dict) or set(bring) != {"zh", "en"} or \
                    not all(isinstance(bring[lang], list) and bring[lang] for lang in ("zh", "en")) or \
                    len(bring["zh"]) != len(bring["en"]):
                raise BuildError(f"{where} bring must be {{ zh = [\"…\"], en = [\"…\"] }}, the same number of items")
            township["bring"] = {lang: [_text(item, f"{where} bring.{lang}") for item in bring[lang]]
                                 for lang in ("zh", "en")}
        read.append(township)
    return read


def contacts_for(townships, lang):
    """The townships in one language, for the templates."""
    return [{"name": t["name"][lang], "office": t["office"][lang], "address": t["address"][lang],
             "hours": t["hours"][lang], "phone": t["phone"], "bring": t["bring"][lang] if t["bring"] else None}
            for t in townships]
