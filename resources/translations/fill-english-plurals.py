#!/usr/bin/env python3
"""Fills the English plural forms in ftcancel_en.ts after `cmake --build build --target update_translations`.

English source texts write plurals as "%n second(s)"; the English translation turns that into "1 second" and
"2 seconds". Only unfinished messages are touched, so hand-written forms stay as they are.
"""
import re
import sys
import xml.etree.ElementTree as ET

path = sys.argv[1] if len(sys.argv) > 1 else __file__.rsplit("/", 1)[0] + "/ftcancel_en.ts"
tree = ET.parse(path)
filled = 0
for message in tree.getroot().iter("message"):
    if message.get("numerus") != "yes":
        continue
    translation = message.find("translation")
    if translation is None or translation.get("type") != "unfinished":
        continue
    source = message.findtext("source")
    forms = translation.findall("numerusform")
    while len(forms) < 2:
        forms.append(ET.SubElement(translation, "numerusform"))
    forms[0].text = re.sub(r"\(s\)", "", source)
    # "retry(s)" → "retries", "day(s)" → "days", "job(s)" → "jobs"
    forms[1].text = re.sub(r"\(s\)", "s", re.sub(r"([^aeiou])y\(s\)", r"\1ies", source))
    del translation.attrib["type"]
    filled += 1
tree.write(path, encoding="utf-8", xml_declaration=True)
with open(path, "r+", encoding="utf-8") as f:  # keep lupdate's doctype line
    text = f.read().replace("<?xml version='1.0' encoding='utf-8'?>", '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>', 1)
    f.seek(0)
    f.write(text)
    f.truncate()
print(f"filled {filled} message(s) in {path}")
