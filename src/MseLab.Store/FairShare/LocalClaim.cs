namespace MseLab.Store.FairShare;

/// <summary>A cell this process claimed after the snapshot was read: its owner's device time grows from <paramref name="At"/> on.</summary>
public sealed record LocalClaim(string Owner, DateTime At);
