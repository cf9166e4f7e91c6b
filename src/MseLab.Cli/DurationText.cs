using System.Globalization;

namespace MseLab.Cli;

/// <summary>Durations as people type them on the command line: <c>90m</c>, <c>12h</c>, <c>30d</c>, <c>8w</c>.</summary>
internal static class DurationText
{
    public const string Examples = "90m, 12h, 30d or 8w";

    /// <summary>The duration <paramref name="text"/> names; null when it is not one.</summary>
    public static TimeSpan? Parse(string? text)
    {
        if (text is not { Length: >= 2 } || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return null;
        }

        return char.ToLowerInvariant(text[^1]) switch
        {
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            'w' => TimeSpan.FromDays(7 * n),
            _ => null,
        };
    }
}
