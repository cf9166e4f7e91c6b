namespace MseLab.Store.Queries;

/// <summary>What a field holds, so that a value of the wrong kind is a parse error rather than a database error.</summary>
public enum FilterFieldKind
{
    Text,
    Number,
    /// <summary>A UTC timestamp; compared with a quoted ISO 8601 date or date-time.</summary>
    Time,
    /// <summary>A trial status name (queued, running, succeeded, failed, cancelled, pruned).</summary>
    Status,
}
