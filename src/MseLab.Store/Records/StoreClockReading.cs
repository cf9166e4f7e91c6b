namespace MseLab.Store.Records;

/// <summary>A reading of the database's clock: this machine's wall clock minus the database's, and the round trip it was read over (the reading is off by at most half of it).</summary>
public sealed record StoreClockReading(TimeSpan Skew, TimeSpan RoundTrip);
