namespace MseLab.Store.Entities;

/// <summary>One recorded mutation (see <see cref="Records.AuditEntry"/>); rows are only ever added.</summary>
public sealed class AuditEntity
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    public required string User { get; set; }

    public required string Action { get; set; }

    public required string Target { get; set; }

    public required string Origin { get; set; }

    public string Detail { get; set; } = "";
}
