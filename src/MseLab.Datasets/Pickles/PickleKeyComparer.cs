using System.Numerics;

namespace MseLab.Datasets.Pickles;

/// <summary>
/// Dict keys and set elements compared as Python compares them: str by value, numbers by value across int, float and
/// bool (<c>1 == 1.0 == True</c>), tuples element-wise, bytes by content; anything else by identity.
/// </summary>
internal sealed class PickleKeyComparer : IEqualityComparer<object?>
{
    public static readonly PickleKeyComparer Instance = new();

    private const double TwoTo63 = 9.2233720368547758E18;

    public new bool Equals(object? x, object? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (x is null || y is null)
        {
            return false;
        }

        return (Number(x), Number(y)) switch
        {
            ({ } a, { } b) => a.Equals(b),
            (null, null) => (x, y) switch
            {
                (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
                (object?[] a, object?[] b) => a.Length == b.Length && a.Zip(b).All(p => Equals(p.First, p.Second)),
                (PickleBytes { InMemory: true } a, PickleBytes { InMemory: true } b) => a.Memory.Span.SequenceEqual(b.Memory.Span),
                _ => x.Equals(y),
            },
            _ => false,
        };
    }

    public int GetHashCode(object? obj)
    {
        if (obj is null)
        {
            return 0;
        }

        if (Number(obj) is { } number)
        {
            return number.GetHashCode();
        }

        switch (obj)
        {
            case string s:
                return StringComparer.Ordinal.GetHashCode(s);
            case object?[] tuple:
                var hash = new HashCode();
                foreach (var item in tuple)
                {
                    hash.Add(GetHashCode(item));
                }

                return hash.ToHashCode();
            case PickleBytes { InMemory: true } bytes:
                var content = new HashCode();
                content.AddBytes(bytes.Memory.Span);
                return content.ToHashCode();
            default:
                return obj.GetHashCode();
        }
    }

    /// <summary>One canonical form per numeric value: long when integral and in range, else BigInteger or double.</summary>
    private static object? Number(object value) => value switch
    {
        bool b => b ? 1L : 0L,
        long l => l,
        BigInteger big => big >= long.MinValue && big <= long.MaxValue ? (long)big : (object)big,
        double d when Math.Floor(d) == d && d >= -TwoTo63 && d < TwoTo63 => (long)d,
        double d when Math.Floor(d) == d && !double.IsInfinity(d) => new BigInteger(d),
        double d => d,
        _ => null,
    };
}
