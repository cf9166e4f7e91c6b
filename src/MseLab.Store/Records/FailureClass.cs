namespace MseLab.Store.Records;

/// <summary>Whether a failed attempt may pass on another try.</summary>
public enum FailureClass
{
    /// <summary>The same trial would fail the same way (NaN loss, invalid configuration, bad input, out of memory): the cell fails at once.</summary>
    Permanent,

    /// <summary>An infrastructure fault (a disk, the network, the store): the cell is retried after a backoff, up to the sweep's retries.</summary>
    Transient,
}
