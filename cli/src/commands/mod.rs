//! One module per subcommand; each returns a `Serialize + Display` result.

pub mod init;
pub mod launch;
pub mod sandbox;
pub mod status;
pub mod validate;
