#!/usr/bin/env python3
# Regenerates psbt_bip174_bip371.json from the BIPs repository: every PSBT listed in the
# "Test Vectors" sections of BIP-174 and BIP-371, with its case name and whether the BIP lists
# it as invalid, valid, or valid-but-fails-signer-checks (parsing must accept those).
# Usage: extract_psbt_vectors.py /path/to/bitcoin/bips [commit] > psbt_bip174_bip371.json
import json
import re
import subprocess
import sys


def extract(repo, commit, bip):
    txt = subprocess.check_output(['git', '-C', repo, 'show', '%s:%s.mediawiki' % (commit, bip)]).decode()
    txt = txt[txt.index('==Test Vectors=='):]
    section, name, out = None, None, []
    for line in txt.splitlines():
        l = line.strip()
        if 'following are invalid PSBTs' in l:
            section = 'invalid'
        elif 'following are valid PSBTs' in l:
            section = 'valid'
        elif l.startswith('Fails Signer checks'):
            section = 'signer_fail'
        elif 'private keys in the tests below' in l:
            section = 'roles'
        elif l.startswith('==') and not l.startswith('===') and 'Test Vectors' not in l:
            break
        m = re.match(r'\* Case: (.*)', l)
        if m:
            name = m.group(1)
        m = re.match(r'\*\* Bytes in Hex: <pre>([0-9a-f]+)</pre>', l)
        if m and section in ('invalid', 'valid', 'signer_fail'):
            out.append({'bip': bip, 'kind': section, 'case': name, 'hex': m.group(1)})
    return out


repo = sys.argv[1]
commit = sys.argv[2] if len(sys.argv) > 2 else 'HEAD'
json.dump(extract(repo, commit, 'bip-0174') + extract(repo, commit, 'bip-0371'), sys.stdout, indent=1)
