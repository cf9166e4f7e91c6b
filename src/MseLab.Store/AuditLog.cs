using Microsoft.EntityFrameworkCore;
using MseLab.Store.Entities;
using MseLab.Store.Records;

namespace MseLab.Store;

/// <summary>The audit table: every mutation of the API and the command line, who did it, when and from where. Append-only.</summary>
public sealed class AuditLog(ResultsDatabase database, StoreClock clock)
{
    /// <summary>The most rows <see cref="ListAsync"/> returns.</summary>
    public const int MaxRows = 10_000;

    /// <summary>Records that <paramref name="user"/> did <paramref name="action"/> (an <see cref="AuditActions"/> name) to <paramref name="target"/>.</summary>
    public Task RecordAsync(string user, string action, string target, string origin, string detail = "", CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (db, ct) =>
        {
            db.Audit.Add(new AuditEntity
            {
                At = await clock.NowAsync(ct),
                User = Cut(user, Users.MaxNameLength),
                Action = action,
                Target = Cut(target, 200),
                Origin = Cut(origin, 200),
                Detail = detail,
            });
            return await db.SaveChangesAsync(ct);
        }, cancellationToken);

    /// <summary>Recorded mutations at or after <paramref name="since"/> (and by <paramref name="user"/>), oldest first, at most <paramref name="limit"/> (the latest).</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(DateTime? since = null, string? user = null, int limit = MaxRows, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        var rows = db.Audit.AsNoTracking();
        if (since is { } from)
        {
            rows = rows.Where(a => a.At >= from);
        }

        if (user is not null)
        {
            rows = rows.Where(a => a.User == user);
        }

        // Ids grow with time (one writer per process commits in order): the latest by id, without ordering by a date column.
        var latest = await rows.OrderByDescending(a => a.Id).Take(Math.Clamp(limit, 1, MaxRows)).ToListAsync(cancellationToken);
        return [.. latest.OrderBy(a => a.Id).Select(a => new AuditEntry(a.Id, a.At, a.User, a.Action, a.Target, a.Origin, a.Detail))];
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length];
}
