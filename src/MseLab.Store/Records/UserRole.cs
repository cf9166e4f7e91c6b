namespace MseLab.Store.Records;

/// <summary>
/// What a user may do (stored by name in <c>users.Role</c>). Ordered: each role includes the ones before it, so an admin
/// may submit and a submitter may read.
/// </summary>
public enum UserRole
{
    /// <summary>Reads sweeps and results (when reads are closed to anonymous callers).</summary>
    Read,

    /// <summary>Also submits sweeps and cancels its own.</summary>
    Submit,

    /// <summary>Also cancels anyone's sweep, drains workers, manages users and tokens.</summary>
    Admin,
}
