"""Create .venv with pip, also on a Debian Python without the python3-venv package.

`python3 -m venv` needs ensurepip, which Debian ships separately; without it we create the
environment without pip and install pip from PyPI's wheel into it.
"""

import json
import subprocess
import sys
import tempfile
import urllib.request
import venv
from pathlib import Path

target = Path(sys.argv[1] if len(sys.argv) > 1 else ".venv")
python = target / "bin" / "python"

if python.exists() and subprocess.run([str(python), "-m", "pip", "--version"], capture_output=True).returncode == 0:
    sys.exit(0)

try:
    venv.EnvBuilder(with_pip=True, clear=True).create(target)
except (subprocess.CalledProcessError, OSError, SystemExit):
    print("ensurepip is not available: installing pip from PyPI into the virtual environment")
    venv.EnvBuilder(with_pip=False, clear=True).create(target)
    with urllib.request.urlopen("https://pypi.org/pypi/pip/json", timeout=60) as response:
        release = json.load(response)
    wheel = next(u for u in release["urls"] if u["filename"].endswith(".whl"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / wheel["filename"]
        urllib.request.urlretrieve(wheel["url"], path)
        subprocess.check_call([str(python), f"{path}/pip", "install", "--quiet", str(path)])
subprocess.check_call([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
