//! One module per subcommand; each returns a `Serialize + Display` result.

pub mod airdrop;
pub mod allowlist;
pub mod authority;
pub mod burn;
pub mod distribute;
pub mod eligibility;
pub mod fulfill;
pub mod init;
pub mod item;
pub mod items;
pub mod launch;
pub mod lifecycle;
pub mod mint;
pub mod pubsub;
pub mod reclaim;
pub mod redemptions;
pub mod refund;
pub mod rehearse;
pub mod sandbox;
pub mod serve;
pub mod status;
pub mod validate;
pub mod voucher;
pub mod wallet;
pub mod watch;
