"""Vendor a pinned nhsuk-frontend release into static/vendor/nhsuk-frontend/.

Run by a maintainer when upgrading (never at run time, never in CI):

    python scripts/vendor_nhsuk_frontend.py 10.6.1

It takes the package from the npm registry with `npm pack`, keeps only the compiled CSS and JS
and the icons the CSS refers to, and makes three changes so the files work under PeerPath's
strict Content-Security-Policy and are not NHS-branded:
- `url(/assets/...)` becomes a path relative to the CSS file;
- @font-face rules loading the NHS Frutiger font from another site are removed (the stack
  falls back to Arial, and CSP allows fonts only from this site);
- source-map comments are dropped.
Remember to bump the matching nhsuk-frontend-jinja pin in requirements/base.in and
NHSUK_FRONTEND_VERSION in config/settings/base.py.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "static" / "vendor" / "nhsuk-frontend"
FONT_FACE = re.compile(r"@font-face\{[^}]*assets\.nhs\.uk[^}]*\}")
SOURCE_MAP = re.compile(r"/[*/]# sourceMappingURL=\S+(?: \*/)?")


def main(version: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", f"nhsuk-frontend@{version}", "--pack-destination", tmp],
            check=True,
            capture_output=True,
        )
        archive = next(Path(tmp).glob("nhsuk-frontend-*.tgz"))
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        dist = Path(tmp) / "package" / "dist" / "nhsuk"

        if TARGET.exists():
            shutil.rmtree(TARGET)
        (TARGET / "assets" / "images").mkdir(parents=True)

        css = (dist / "nhsuk-frontend.min.css").read_text(encoding="utf-8")
        css = FONT_FACE.sub("", css)
        css = SOURCE_MAP.sub("", css).replace("url(/assets/", "url(assets/")
        if "assets.nhs.uk" in css:
            sys.exit("The CSS still loads something from assets.nhs.uk: update this script.")
        (TARGET / "nhsuk-frontend.min.css").write_text(css, encoding="utf-8")

        js = (dist / "nhsuk-frontend.min.js").read_text(encoding="utf-8")
        (TARGET / "nhsuk-frontend.min.js").write_text(SOURCE_MAP.sub("", js), encoding="utf-8")

        used = set(re.findall(r"url\(assets/images/([^)]+)\)", css))
        for name in sorted(used):
            shutil.copy2(dist / "assets" / "images" / name, TARGET / "assets" / "images" / name)

        licence = Path(tmp) / "package" / "LICENSE"
        if licence.exists():
            shutil.copy2(licence, TARGET / "LICENSE")
        lines = [
            f"nhsuk-frontend {version} (MIT licence, NHS England), "
            "vendored by scripts/vendor_nhsuk_frontend.py",
            "",
        ]
        for path in sorted(TARGET.rglob("*")):
            if path.is_file() and path.name != "VERSION":
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                lines.append(f"{digest}  {path.relative_to(TARGET)}")
        (TARGET / "VERSION").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"Vendored nhsuk-frontend {version} into {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "10.6.1")
