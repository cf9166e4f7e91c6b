using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using static MseLab.Store.Database.LeaseRows;

namespace MseLab.Store.Database;

/// <summary>
/// The statements of fair share (<see cref="FairShare.FairShareClaims"/>). Reading users' device time needs date arithmetic,
/// which the providers spell differently; the claim differs only in Postgres' row lock (SKIP LOCKED: two workers asking at
/// once take two cells, not one and a retry).
/// </summary>
internal static class FairShareSql
{
    /// <summary>Sweeps with queued cells (not cancelled), per device kind and dataset.</summary>
    public static FormattableString QueuedSweeps() => $"""
        SELECT t."SweepId", s."Owner", t."DeviceKind", t."Dataset", MAX(t."Priority"), MIN(t."QueuedAt"), COUNT(*)
        FROM trials t JOIN sweeps s ON s."Id" = t."SweepId"
        WHERE t."Status" = {Queued} AND NOT s."Cancelled"
        GROUP BY t."SweepId", s."Owner", t."DeviceKind", t."Dataset"
        """;

    /// <summary>
    /// Per user: cells running and their device seconds so far; attempts that ended after <paramref name="since"/> (every
    /// ended attempt has a row in <c>attempts</c>, a success too), their device seconds after it, and their whole length
    /// (for the mean). Every part of an attempt before
    /// <paramref name="since"/> is left out.
    /// </summary>
    public static FormattableString Usage(StoreProvider provider, DateTime now, DateTime since) => provider == StoreProvider.Postgres
        ? (FormattableString)$"""
            SELECT s."Owner", SUM(u."Running")::integer, SUM(u."RunningSeconds")::double precision, SUM(u."EndedSeconds")::double precision,
                SUM(u."Ended")::integer, SUM(u."EndedLength")::double precision
            FROM (
                SELECT t."SweepId", 1 AS "Running", EXTRACT(EPOCH FROM ({now} - GREATEST(t."StartedAt", {since}))) AS "RunningSeconds",
                    0 AS "EndedSeconds", 0 AS "Ended", 0 AS "EndedLength"
                FROM trials t WHERE t."Status" = {Running} AND t."StartedAt" IS NOT NULL
                UNION ALL
                SELECT a."SweepId", 0, 0, EXTRACT(EPOCH FROM (a."EndedAt" - GREATEST(a."StartedAt", {since}))), 1, EXTRACT(EPOCH FROM (a."EndedAt" - a."StartedAt"))
                FROM attempts a WHERE a."EndedAt" >= {since} AND a."StartedAt" IS NOT NULL
            ) u JOIN sweeps s ON s."Id" = u."SweepId"
            GROUP BY s."Owner"
            """
        : $"""
            SELECT s."Owner", SUM(u."Running"), SUM(u."RunningSeconds"), SUM(u."EndedSeconds"), SUM(u."Ended"), SUM(u."EndedLength")
            FROM (
                SELECT t."SweepId" AS "SweepId", 1 AS "Running", (julianday({now}) - julianday(max(t."StartedAt", {since}))) * 86400.0 AS "RunningSeconds",
                    0.0 AS "EndedSeconds", 0 AS "Ended", 0.0 AS "EndedLength"
                FROM trials t WHERE t."Status" = {Running} AND t."StartedAt" IS NOT NULL
                UNION ALL
                SELECT a."SweepId", 0, 0.0, (julianday(a."EndedAt") - julianday(max(a."StartedAt", {since}))) * 86400.0, 1,
                    (julianday(a."EndedAt") - julianday(a."StartedAt")) * 86400.0
                FROM attempts a WHERE a."EndedAt" >= {since} AND a."StartedAt" IS NOT NULL
            ) u JOIN sweeps s ON s."Id" = u."SweepId"
            GROUP BY s."Owner"
            """;

    /// <summary>
    /// Claims for <paramref name="device"/> the sweep's first queued cell (oldest first) that fits: its device kind, at most
    /// <paramref name="memoryGb"/>, past its retry backoff, of no dataset in <paramref name="excluded"/>; the sweep not
    /// cancelled. One guarded statement: a cell another claim took in between is not taken twice.
    /// </summary>
    public static FormattableString Claim(
        StoreProvider provider, string sweepId, string deviceKind, double memoryGb, string device, DateTime now, IReadOnlyList<string> excluded)
    {
        var args = new List<object?> { Running, device, now, sweepId, Queued, deviceKind, memoryGb };
        var notIn = new StringBuilder();
        if (excluded.Count > 0)
        {
            notIn.Append(""" AND c."Dataset" NOT IN (""");
            for (var i = 0; i < excluded.Count; i++)
            {
                notIn.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"{{{args.Count}}}");
                args.Add(excluded[i]);
            }

            notIn.Append(')');
        }

        var lockRow = provider == StoreProvider.Postgres ? " FOR UPDATE SKIP LOCKED" : "";
        var sql = $$"""
            UPDATE trials SET "Status" = {0}, "Device" = {1}, "StartedAt" = {2}, "HeartbeatAt" = {2}, "Error" = NULL
            WHERE "SweepId" = {3} AND "Status" = {4} AND "Key" = (
                SELECT c."Key" FROM trials c
                WHERE c."SweepId" = {3} AND c."Status" = {4} AND c."DeviceKind" = {5} AND c."MemoryGb" <= {6}
                  AND (c."NotBefore" IS NULL OR c."NotBefore" <= {2}){{notIn}}
                ORDER BY c."QueuedAt" LIMIT 1{{lockRow}})
              AND NOT EXISTS (SELECT 1 FROM sweeps WHERE sweeps."Id" = trials."SweepId" AND sweeps."Cancelled")
            RETURNING "Key", "Attempt", "RunConfig", "Backbone", "Dataset"
            """;
        return FormattableStringFactory.Create(sql, [.. args]);
    }

    /// <summary>Puts a cell claimed by <paramref name="device"/> back to Queued, as the same attempt (nothing ran).</summary>
    public static FormattableString Unclaim(string sweepId, string key, int attempt, string device, DateTime now) => $"""
        UPDATE trials SET "Status" = {Queued}, "Device" = NULL, "StartedAt" = NULL, "HeartbeatAt" = {now}
        WHERE "SweepId" = {sweepId} AND "Key" = {key} AND "Attempt" = {attempt} AND "Status" = {Running} AND "Device" = {device}
        """;
}
