# The seed's allowed imports (pandas is not bundled yet). "import os", "import sys" and
# "from xml.etree import ElementTree" would fail: only the listed module paths may be imported.
import string
from json import dumps
from xml import etree

return [{
    "letters": string.ascii_uppercase[:5],
    "json": dumps({"ok": True}),
    "etree": etree.__name__,
}]
