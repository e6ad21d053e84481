//! What an item is, per item standard, on the client's side: the accounts an item takes in
//! `mint` and `redeem`, and how a held item is recognised as a collection's member or as a
//! drop's own. It mirrors the program's `items` module, one module per standard; the
//! client and the instruction builders call these and stay standard-agnostic.

pub mod token_metadata;
