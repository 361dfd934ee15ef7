//! Charts (coming next).
