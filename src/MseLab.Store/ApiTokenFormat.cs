using System.Security.Cryptography;
using System.Text;

namespace MseLab.Store;

/// <summary>
/// API tokens look like <c>mselab_3f9c2a7b10de_SECRET</c>: a recognisable prefix (secret scanners and people can tell what
/// leaked), a public id to find the row by, and a 256-bit secret of which the store keeps only the SHA-256. Lookup is by
/// id, so the secret is compared once, in constant time.
/// </summary>
public static class ApiTokenFormat
{
    public const string Prefix = "mselab_";

    private const int IdBytes = 6;       // 12 hex characters: room for millions of tokens, short enough to type in `token revoke`
    private const int SecretBytes = 32;

    /// <summary>A new token: its id and the whole text to hand to its user.</summary>
    public static (string Id, string Secret, string Token) Create()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdBytes));
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SecretBytes));
        return (id, secret, $"{Prefix}{id}_{secret}");
    }

    /// <summary>Splits <paramref name="token"/> into id and secret; false when it is not of the form <c>mselab_ID_SECRET</c>.</summary>
    public static bool TryParse(string? token, out string id, out string secret)
    {
        (id, secret) = ("", "");
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = token.AsSpan(Prefix.Length).Trim();
        var split = rest.IndexOf('_');
        if (split <= 0 || split == rest.Length - 1 || split > 32)
        {
            return false;
        }

        (id, secret) = (rest[..split].ToString(), rest[(split + 1)..].ToString());
        return true;
    }

    /// <summary>SHA-256 of a secret, lower-case hex: what the store keeps.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Whether <paramref name="secret"/> hashes to <paramref name="storedHash"/>, in time independent of where they differ.</summary>
    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));
}
