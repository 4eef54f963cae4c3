//! Link checking: whether the links in the built pages still lead somewhere.

pub mod external;
