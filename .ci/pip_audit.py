"""`make audit`'s pip-audit step: fail on any known vulnerability of a pinned package, and
say plainly how many packages could not be checked (docs/security.md, "pip-audit").

pip-audit's own summary says "No known vulnerabilities found" even when the service could
not answer for any package (a mirror without PyPI's per-version JSON, no internet): this
step counts those, lists them, and fails on them only with PIP_AUDIT_REQUIRED=1.

Usage: python .ci/pip_audit.py <pip-audit executable> <requirements file> [service]
"""

import json
import os
import subprocess  # nosec B404 -- runs pip-audit from the project's virtualenv
import sys


def main() -> int:
    pip_audit, requirements = sys.argv[1], sys.argv[2]
    service = sys.argv[3] if len(sys.argv) > 3 else "pypi"
    result = subprocess.run(  # nosec B603 -- fixed arguments, no shell
        [pip_audit, "-r", requirements, "-s", service, "-f", "json", "--progress-spinner", "off"],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except ValueError:
        sys.stderr.write(result.stderr)
        print("error: pip-audit gave no report (see above)", file=sys.stderr)
        return 1
    dependencies = report["dependencies"]
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if "skip_reason" in d]
    checked = len(dependencies) - len(skipped)
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "none yet"
            print(
                f"VULNERABLE {dependency['name']} {dependency['version']}: {vuln['id']} "
                f"(fixed in {fixes})"
            )
    print(
        f"pip-audit ({service}): {checked} of {len(dependencies)} pinned packages checked, "
        f"{sum(len(d['vulns']) for d in vulnerable)} known vulnerabilities."
    )
    if skipped:
        reasons = sorted({d["skip_reason"].split(":")[0] for d in skipped})
        print(
            f"NOT CHECKED ({len(skipped)}): "
            + ", ".join(f"{d['name']} {d.get('version', '')}".strip() for d in skipped)
            + f" -- {'; '.join(reasons)}. The {service} vulnerability service did not answer "
            "for them from this machine; run `make audit` where it does before a release."
        )
    if vulnerable:
        print(
            "error: known vulnerabilities: raise the pins in requirements.txt (docs/security.md)",
            file=sys.stderr,
        )
        return 1
    if skipped and os.environ.get("PIP_AUDIT_REQUIRED"):
        print(
            "error: PIP_AUDIT_REQUIRED is set and some packages could not be checked",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
