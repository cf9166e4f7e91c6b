using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MseLab.Store.Entities;
using MseLab.Store.Records;

namespace MseLab.Store;

/// <summary>The users of a lab and their roles; a sweep's owner is one of these names (or <see cref="SweepOwners.Local"/>).</summary>
public sealed partial class Users(ResultsDatabase database, StoreClock clock)
{
    public const int MaxNameLength = 64;

    /// <summary>
    /// Who acts with the API's configured admin secret (<c>Auth:AdminToken</c>, the AppHost's parameter): an admin that is
    /// in no table, so the lab can be set up before any user exists. Reserved, as is <see cref="SweepOwners.Local"/>.
    /// </summary>
    public const string AdminSecretUser = "admin";

    /// <summary>
    /// Adds a user; false when the name is taken (nothing changes).
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a valid user name, or is reserved.</exception>
    public Task<bool> AddAsync(string name, UserRole role, CancellationToken cancellationToken = default)
    {
        Validate(name);
        return database.WriteAsync(async (db, ct) =>
        {
            if (await db.Users.AnyAsync(u => u.Name == name, ct))
            {
                return false;
            }

            db.Users.Add(new UserEntity { Name = name, Role = role, CreatedAt = await clock.NowAsync(ct) });
            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);
    }

    /// <summary>Every user, by name.</summary>
    public async Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        var users = await db.Users.AsNoTracking().ToListAsync(cancellationToken);
        return [.. users.OrderBy(u => u.Name, StringComparer.Ordinal).Select(u => new UserRow(u.Name, u.Role, u.CreatedAt))];
    }

    /// <summary>The user named <paramref name="name"/>, or null.</summary>
    public async Task<UserRow?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var db = database.CreateContext();
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Name == name, cancellationToken);
        return user is null ? null : new UserRow(user.Name, user.Role, user.CreatedAt);
    }

    /// <exception cref="ArgumentException">The name is not a valid user name, or is reserved.</exception>
    public static void Validate(string name)
    {
        if (!NamePattern().IsMatch(name ?? ""))
        {
            throw new ArgumentException(
                $"User name '{name}' is not valid: use 1 to {MaxNameLength} letters, digits, '.', '_', '-' or '@', starting with a letter or digit (e.g. alice or a.smith).");
        }

        if (string.Equals(name, SweepOwners.Local, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"User name '{name}' is reserved: it owns the sweeps submitted without a token (the embedded default). Pick another name.");
        }

        if (string.Equals(name, AdminSecretUser, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"User name '{name}' is reserved for the API's admin secret (Auth:AdminToken). Pick another name (e.g. {name}-{Environment.UserName}).");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")]
    private static partial Regex NamePattern();
}
