namespace MseLab.Store.Records;

/// <summary>
/// One recorded mutation: who (<see cref="User"/>), what (<see cref="Action"/> on <see cref="Target"/>), when, from where
/// (<see cref="Origin"/>: the caller's address for the API, <c>cli@HOST</c> for the command line) and what it did.
/// </summary>
public sealed record AuditEntry(long Id, DateTime At, string User, string Action, string Target, string Origin, string Detail);
