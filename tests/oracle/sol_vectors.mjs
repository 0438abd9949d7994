// Generates tests/vectors/solana/web3js.txt with @solana/web3.js 1.98.4: a legacy and a v0 (with an
// address lookup table) transaction, unsigned and signed with the ed25519 key whose seed is 01..20.
//   node tests/oracle/sol_vectors.mjs > tests/vectors/solana/web3js.txt
import { Keypair, PublicKey, SystemProgram, Transaction, TransactionMessage, VersionedTransaction, AddressLookupTableAccount, TransactionInstruction } from '@solana/web3.js';
const seed = Uint8Array.from({length:32},(_, i)=>i+1);
const kp = Keypair.fromSeed(seed);
const to = new PublicKey(Uint8Array.from({length:32},(_, i)=>0x40+i));
const bh = new PublicKey(Uint8Array.from({length:32},(_, i)=>0x90+i)).toBase58();
const tx = new Transaction({feePayer: kp.publicKey, recentBlockhash: bh});
tx.add(SystemProgram.transfer({fromPubkey: kp.publicKey, toPubkey: to, lamports: 1234567}));
console.log('seed', Buffer.from(seed).toString('hex'));
console.log('pub', Buffer.from(kp.publicKey.toBytes()).toString('hex'));
console.log('legacy_unsigned', tx.serialize({requireAllSignatures:false, verifySignatures:false}).toString('hex'));
tx.sign(kp);
console.log('legacy_signed', tx.serialize().toString('hex'));
const table = new AddressLookupTableAccount({key: new PublicKey(Uint8Array.from({length:32},(_, i)=>0x20+i)), state: {deactivationSlot: 2n**64n-1n, lastExtendedSlot: 0, lastExtendedSlotStartIndex: 0, addresses: [to, new PublicKey(Uint8Array.from({length:32},(_, i)=>0x60+i))]}});
const memo = new PublicKey('MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr');
const ix2 = new TransactionInstruction({programId: memo, keys: [{pubkey: new PublicKey(Uint8Array.from({length:32},(_, i)=>0x60+i)), isSigner:false, isWritable:false}], data: Buffer.from('hi teekeys')});
const m = new TransactionMessage({payerKey: kp.publicKey, recentBlockhash: bh, instructions: [SystemProgram.transfer({fromPubkey: kp.publicKey, toPubkey: to, lamports: 42}), ix2]}).compileToV0Message([table]);
const vt = new VersionedTransaction(m);
console.log('v0_unsigned', Buffer.from(vt.serialize()).toString('hex'));
vt.sign([kp]);
console.log('v0_signed', Buffer.from(vt.serialize()).toString('hex'));
