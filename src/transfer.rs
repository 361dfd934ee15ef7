//! The transfer race (in progress).
pub fn run(_config: &crate::Config, _every: usize, _emit: impl FnMut(&str) -> std::io::Result<()>) -> std::io::Result<()> {
    Err(std::io::Error::other("transfer: not built yet"))
}
