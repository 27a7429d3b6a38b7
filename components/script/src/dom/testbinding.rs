//! TestBinding: filled in below.
