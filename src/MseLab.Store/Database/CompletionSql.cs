using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using MseLab.Store.Records;

namespace MseLab.Store.Database;

/// <summary>
/// What a completion writes besides the cell's row: the attempt's history row, the provenance and one row per test
/// metric. On Postgres one statement does it all, the guarded update of the row feeding the inserts (a round trip per
/// completion instead of two); SQLite has no writes in WITH and no round trips to save, so there the inserts follow the
/// update.
/// </summary>
internal static class CompletionSql
{
    /// <summary>The guarded update and the inserts in one statement; it returns how many rows it marked Succeeded (0 or 1).</summary>
    public static FormattableString Postgres(TrialLease lease, DateTime now, TrialOutcome outcome)
    {
        var p = new Holes();
        var at = p[now];
        var metrics = string.Join(", ", outcome.Test.Select(m => $"({p[m.Key]}, CAST({p[m.Value]} AS double precision))"));   // a NULL alone has no type
        var sql = new StringBuilder($"""
            WITH done AS (
                UPDATE trials SET "Status" = {p[LeaseRows.Succeeded]}, "FinishedAt" = {at}, "HeartbeatAt" = {at}, "BestEpoch" = {p[outcome.BestEpoch]},
                    "BestValidation" = {p[outcome.BestValidation]}, "StoppedBy" = {p[outcome.StoppedBy]}, "Seconds" = {p[outcome.Seconds]}
                WHERE "SweepId" = {p[lease.SweepId]} AND "Key" = {p[lease.Key]} AND "Attempt" = {p[lease.Attempt]} AND "Status" = {p[LeaseRows.Running]}
                RETURNING "SweepId", "Key", "Attempt", "Device", "StartedAt"),
            history AS (
                INSERT INTO attempts ("SweepId", "TrialKey", "Attempt", "Device", "StartedAt", "EndedAt", "Outcome", "Reason")
                SELECT "SweepId", "Key", "Attempt", "Device", "StartedAt", {at}, {p[nameof(AttemptOutcome.Succeeded)]}, NULL FROM done),
            origin AS (
                INSERT INTO provenance ("SweepId", "TrialKey", {ProvenanceColumns})
                SELECT "SweepId", "Key", {ProvenanceValues(p, outcome.Provenance)} FROM done)
            """);
        if (metrics.Length > 0)
        {
            sql.Append($"""
                ,
                measured AS (
                    INSERT INTO test_metrics ("SweepId", "TrialKey", "Name", "Value")
                    SELECT done."SweepId", done."Key", m.name, m.value FROM done CROSS JOIN (VALUES {metrics}) AS m(name, value))
                """);
        }

        sql.Append("\nSELECT count(*) FROM done;");
        return p.Statement(sql.ToString());
    }

    /// <summary>The inserts alone, to run after the update that marked the row Succeeded.</summary>
    public static FormattableString SqliteInserts(TrialLease lease, DateTime now, TrialOutcome outcome)
    {
        var p = new Holes();
        var (sweep, key) = (p[lease.SweepId], p[lease.Key]);
        var sql = new StringBuilder($"""
            INSERT INTO attempts ("SweepId", "TrialKey", "Attempt", "Device", "StartedAt", "EndedAt", "Outcome", "Reason")
            SELECT "SweepId", "Key", "Attempt", "Device", "StartedAt", {p[now]}, {p[nameof(AttemptOutcome.Succeeded)]}, NULL FROM trials
            WHERE "SweepId" = {sweep} AND "Key" = {key} AND "Attempt" = {p[lease.Attempt]};
            INSERT INTO provenance ("SweepId", "TrialKey", {ProvenanceColumns}) VALUES ({sweep}, {key}, {ProvenanceValues(p, outcome.Provenance)});
            """);
        if (outcome.Test.Count > 0)
        {
            sql.Append($"""INSERT INTO test_metrics ("SweepId", "TrialKey", "Name", "Value") VALUES """)
                .AppendJoin(", ", outcome.Test.Select(m => $"({sweep}, {key}, {p[m.Key]}, {p[m.Value]})"))
                .Append(';');
        }

        return p.Statement(sql.ToString());
    }

    private const string ProvenanceColumns =
        "\"GitCommit\", \"GitDirty\", \"Host\", \"TorchSharpVersion\", \"LibTorchVersion\", \"Device\", \"DatasetHash\", \"TrainableParameters\", \"BackboneParameters\"";

    private static string ProvenanceValues(Holes p, ProvenanceRecord provenance) => string.Join(", ", [
        p[provenance.GitCommit], p[provenance.GitDirty], p[provenance.Host], p[provenance.TorchSharpVersion], p[provenance.LibTorchVersion],
        p[provenance.Device], p[provenance.DatasetHash], p[provenance.TrainableParameters], p[provenance.BackboneParameters]]);

    // The values of a statement being written: each use of the indexer adds one and gives its hole ("{N}").
    private sealed class Holes
    {
        private readonly List<object?> _values = [];

        public string this[object? value]
        {
            get
            {
                _values.Add(value);
                return "{" + (_values.Count - 1).ToString(CultureInfo.InvariantCulture) + "}";
            }
        }

        public FormattableString Statement(string format) => FormattableStringFactory.Create(format, [.. _values]);
    }
}
