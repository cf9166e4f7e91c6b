using System.Globalization;
using Microsoft.Extensions.Logging;
using MseLab.Store.Database;
using MseLab.Store.Records;

namespace MseLab.Store;

/// <summary>
/// "Now" for everything the store writes or compares with what other machines wrote (heartbeats, lease expiry, retry
/// backoff, worker liveness, fair share's window, token expiry): the database server's clock, never this machine's.
/// </summary>
/// <remarks>
/// The database's clock is read once (the best of a few round trips, anchored at the middle of the shortest) and then
/// carried forward with this machine's monotonic clock (<see cref="TimeProvider.GetElapsedTime(long)"/>), so this
/// machine's wall clock never enters: a worker whose clock is minutes off, or is stepped while it runs, writes the same
/// times as the database server would. It is read again every <see cref="RefreshInterval"/> so that the two clocks'
/// drift (tens of parts per million) never adds up to more than milliseconds. The error is at most half the shortest
/// round trip plus that drift. <see cref="Trusting"/> makes a clock that takes a given clock as the database's: tests
/// that drive time with a fake clock.
/// </remarks>
public sealed partial class StoreClock
{
    /// <summary>How long a reading of the database's clock is carried forward before it is read again.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    // The shortest of this many round trips anchors a reading (the first pays for the connection's warm-up).
    private const int Samples = 3;

    // A clock this far from the database's is worth a warning (it no longer matters to leases, but to people reading logs).
    private static readonly TimeSpan NotableSkew = TimeSpan.FromSeconds(1);

    private readonly ResultsDatabase? _database;
    private readonly TimeProvider _local;
    private readonly ILogger? _logger;
    private readonly Lock _gate = new();
    private volatile Reading? _last;
    private Task<Reading>? _reading;

    /// <summary>The clock of <paramref name="database"/>'s server, carried forward with <paramref name="local"/>'s monotonic clock (the system's when null).</summary>
    public StoreClock(ResultsDatabase database, TimeProvider? local = null, ILogger<StoreClock>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _local = local ?? TimeProvider.System;
        _logger = logger;
    }

    private StoreClock(TimeProvider local) => _local = local;

    /// <summary>
    /// A clock that takes <paramref name="local"/> as the database's: for tests that move time with a fake clock. Never for
    /// a store that other machines write to.
    /// </summary>
    public static StoreClock Trusting(TimeProvider local)
    {
        ArgumentNullException.ThrowIfNull(local);
        return new StoreClock(local);
    }

    /// <summary>The latest reading: how far this machine's wall clock was from the database's, and the round trip it was read over (null before the first).</summary>
    public StoreClockReading? LastReading => _last is { } last ? new StoreClockReading(last.Skew, last.RoundTrip) : null;

    /// <summary>The database server's clock now (UTC), read from the server when the last reading is missing or old.</summary>
    public async ValueTask<DateTime> NowAsync(CancellationToken cancellationToken = default)
    {
        if (_database is null)
        {
            return _local.GetUtcNow().UtcDateTime;
        }

        var last = _last;
        if (last is null || _local.GetElapsedTime(last.Timestamp) >= RefreshInterval)
        {
            Task<Reading> reading;
            lock (_gate)
            {
                // One reading at a time, shared by whoever needs it meanwhile.
                reading = _reading is { IsCompleted: false } pending ? pending : _reading = ReadAsync(_database, last);
            }

            last = await reading.WaitAsync(cancellationToken);
        }

        return last.DatabaseTime + _local.GetElapsedTime(last.Timestamp);
    }

    private async Task<Reading> ReadAsync(ResultsDatabase database, Reading? previous)
    {
        Reading reading;
        try
        {
            reading = await MeasureAsync(database, CancellationToken.None);
        }
        catch (Exception e) when (previous is not null)
        {
            // Carrying the last reading forward a while longer costs only drift; the caller's own statement says whether the store is down.
            if (_logger is not null)
            {
                LogReadFailed(_logger, database.Location, e.Message);
            }

            return previous;
        }

        if (_logger is not null && previous is null)
        {
            var skew = reading.Skew.TotalSeconds;
            var roundTrip = reading.RoundTrip.TotalMilliseconds;
            if (reading.Skew.Duration() >= NotableSkew)
            {
                LogSkewed(_logger, Math.Abs(skew), skew > 0 ? "ahead of" : "behind", database.Location, roundTrip);
            }
            else
            {
                LogRead(_logger, skew * 1000, database.Location, roundTrip);
            }
        }

        _last = reading;
        return reading;
    }

    private async Task<Reading> MeasureAsync(ResultsDatabase database, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        Reading? best = null;
        for (var i = 0; i < Samples; i++)
        {
            var before = _local.GetTimestamp();
            var wallBefore = _local.GetUtcNow();
            var server = database.Provider == StoreProvider.Postgres
                ? await db.QueryAsync($"SELECT clock_timestamp()", r => DateTime.SpecifyKind(r.GetDateTime(0), DateTimeKind.Utc), cancellationToken)
                : await db.QueryAsync($"SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')", r => ParseSqlite(r.GetString(0)), cancellationToken);
            var after = _local.GetTimestamp();
            var roundTrip = _local.GetElapsedTime(before, after);
            if (best is null || roundTrip < best.RoundTrip)
            {
                // The server read its clock somewhere within the round trip: the middle is off by at most half of it.
                var middle = before + ((after - before) / 2);
                var wallMiddle = wallBefore + (roundTrip / 2);
                best = new Reading(server[0], middle, roundTrip, wallMiddle.UtcDateTime - server[0]);
            }
        }

        return best!;
    }

    // SQLite's 'now' is the machine's clock to the millisecond, as text.
    private static DateTime ParseSqlite(string text) =>
        DateTime.ParseExact(text, "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    // DatabaseTime is the server's clock at Timestamp (this machine's monotonic clock); Skew is this machine's wall clock minus the server's.
    private sealed record Reading(DateTime DatabaseTime, long Timestamp, TimeSpan RoundTrip, TimeSpan Skew);

    [LoggerMessage(EventId = 310, Level = LogLevel.Information, Message = "Store clock: this machine's clock is {SkewMs:0.0} ms from the database's at {Location} (read over a {RoundTripMs:0.0} ms round trip); leases use the database's")]
    private static partial void LogRead(ILogger logger, double skewMs, string location, double roundTripMs);

    [LoggerMessage(EventId = 311, Level = LogLevel.Warning, Message = "Store clock: this machine's clock is {Seconds:0.000} s {Direction} the database's at {Location} (read over a {RoundTripMs:0.0} ms round trip). Leases and heartbeats use the database's clock, so the cluster is unaffected; fix this machine's time (NTP) for its logs")]
    private static partial void LogSkewed(ILogger logger, double seconds, string direction, string location, double roundTripMs);

    [LoggerMessage(EventId = 312, Level = LogLevel.Warning, Message = "Store clock: could not read the database's clock at {Location} ({Error}); carrying the last reading forward")]
    private static partial void LogReadFailed(ILogger logger, string location, string error);
}
