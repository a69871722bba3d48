#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The queries of check-policy.sh, in one process: setools (what sesearch and seinfo are built
# on) loads a 5 MB kernel policy in seconds, and sesearch would load it once per question.
#
#   query-policy.py POLICY < ROWS
#
# ROWS, one a line (# starts a comment):
#   allow SRC TGT CLASS PERM[,PERM...] REASON   every PERM granted by an unconditional allow rule
#   deny  SRC TGT CLASS PERM[,PERM...] REASON   none of them granted, conditional rules included
#   trans SRC TGT CLASS DEFAULT [NAME] REASON   a type_transition SRC TGT:CLASS DEFAULT [NAME]
#   type  NAME - - - REASON                     the type exists
#   confined NAME - - - REASON                  no attribute named *unconfined*, not permissive
#   has   NAME - - - REASON                     prints "# has NAME: yes|no" (no test)
# A row whose SRC or TGT is not a type or attribute of this policy is skipped and says so.
# Output: TAP lines; exit 1 if one failed.
import sys

import setools
from setools.exception import RuleNotConditional

policy = setools.SELinuxPolicy(sys.argv[1])
count = 0
fails = 0


def report(good, text):
    global count, fails
    count += 1
    if not good:
        fails += 1
    print(("ok" if good else "not ok") + f" {count} - {text}", flush=True)


def known(name):
    for look in (policy.lookup_type, policy.lookup_typeattr):
        try:
            look(name)
            return True
        except Exception:
            pass
    return False


_rules = {}
_expand = {}


def rules_of(src, ruletype):
    """Every rule of ruletype whose source is src or an attribute of it: one pass per source."""
    key = (src, ruletype)
    if key not in _rules:
        _rules[key] = list(setools.TERuleQuery(policy, ruletype=[ruletype], source=src).results())
    return _rules[key]


def covers(obj, name):
    """The rule's target (a type or an attribute) includes type or attribute name."""
    if str(obj) == name:
        return True
    key = str(obj)
    if key not in _expand:
        _expand[key] = {str(t) for t in obj.expand()}
    return name in _expand[key]


def granted(src, tgt, cls, conditional_ok):
    perms = set()
    for rule in rules_of(src, "allow"):
        if str(rule.tclass) != cls:
            continue
        # "self" in a rule on an attribute means each type's own objects
        target_ok = covers(rule.target, tgt) or (str(rule.target) == "self" and src == tgt)
        if not target_ok:
            continue
        try:
            rule.conditional
            if not conditional_ok:
                continue
        except RuleNotConditional:
            pass
        perms |= set(rule.perms)
    return perms


for line in sys.stdin:
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    kind, src, tgt, cls, arg, *rest = line.split()
    reason = " ".join(rest)
    if kind in ("type", "confined", "has"):
        try:
            t = policy.lookup_type(src)
        except Exception:
            t = None
        if kind == "has":
            print(f"# has {src}: {'yes' if t else 'no'}")
        elif kind == "type":
            report(t is not None, f"type {src} is in the policy  # {reason}")
        else:
            if t is None:
                report(False, f"{src}: no such type")
                continue
            bad = sorted(str(a) for a in t.attributes() if "unconfined" in str(a))
            report(not bad, f"{src} has no unconfined attribute" + (f": {' '.join(bad)}" if bad else ""))
            report(not t.ispermissive, f"{src} is not permissive")
        continue
    missing_type = [x for x in (src, tgt) if not known(x)]
    if missing_type:
        print(f"# skipped, no type {' '.join(missing_type)} here: {kind} {src} {tgt}:{cls} {arg}  # {reason}")
        continue
    if kind == "trans":
        name = None
        if rest and rest[0].startswith('"'):
            name = rest[0].strip('"')
            reason = " ".join(rest[1:])
        hits = [r for r in rules_of(src, "type_transition") if str(r.tclass) == cls
                and covers(r.target, tgt) and str(r.default) == arg
                and (name is None or getattr(r, "filename", None) == name)]
        what = f'type_transition {src} {tgt}:{cls} {arg}' + (f' "{name}"' if name else "")
        report(bool(hits), f"{what}  # {reason}")
    elif kind == "allow":
        want = arg.split(",")
        have = granted(src, tgt, cls, conditional_ok=False)
        lack = [p for p in want if p not in have]
        text = f"allow {src} {tgt}:{cls} {{ {' '.join(want)} }}"
        report(not lack, text + (f": missing {{ {' '.join(lack)} }}" if lack else "") + f"  # {reason}")
    elif kind == "deny":
        want = arg.split(",")
        have = granted(src, tgt, cls, conditional_ok=True)
        extra = [p for p in want if p in have]
        text = f"not allowed: {src} {tgt}:{cls} {{ {' '.join(want)} }}"
        report(not extra, text + (f": granted {{ {' '.join(extra)} }}" if extra else "") + f"  # {reason}")
    else:
        report(False, f"bad row: {line}")

print(f"# {count - fails} of {count} passed")
sys.exit(1 if fails else 0)
