//! What the lksctp-tools utilities in `src/bin/` share: nothing yet beyond this crate.
