#!/usr/bin/env python3
# Generates the report_data known answers used by tests/test_attest.c (DESIGN §2.3 layouts),
# independently of the C code, with Python's hashlib. Run: python3 gen_report_data.py
import hashlib
import struct

pk = bytes(range(32))
g1 = b"\xa1" * 48
g2 = b"\xb2" * 96
nonce = b"\x5c" * 64

reg = pk + hashlib.sha256(b"teekeys/register/v1" + b"dao.teekeys.testnet" +
                          struct.pack("<Q", 123456789) + g1 + g2).digest()
print("REGISTER_KAT", reg.hex())
for n in (16, 64):
    rd = pk + hashlib.sha256(b"teekeys/attest/v1" + nonce[:n]).digest()
    print("NONCE%d_KAT" % n, rd.hex())
