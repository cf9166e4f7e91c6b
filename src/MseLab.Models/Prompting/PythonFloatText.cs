using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;

namespace MseLab.Models.Prompting;

/// <summary>Python's <c>f"{x:.1f}"</c> and <c>float(text)</c>, reproduced exactly for the cases MSE-Adapter hits.</summary>
internal static partial class PythonFloatText
{
    /// <summary>
    /// <c>f"{x:.1f}"</c>: the exact binary value rounded to one decimal, ties to even (so 0.25 gives "0.2"), and a
    /// minus sign whenever the sign bit is set ("-0.0" for −0.04 and for −0.0).
    /// </summary>
    public static string FormatOneDecimal(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Only finite values have a one-decimal form.");
        }

        var bits = BitConverter.DoubleToInt64Bits(value);
        var negative = bits < 0;
        var exponentBits = (int)((bits >> 52) & 0x7FF);
        var fraction = bits & 0xF_FFFF_FFFF_FFFFL;
        // value = mantissa * 2^exponent exactly.
        var mantissa = exponentBits == 0 ? fraction : fraction | (1L << 52);
        var exponent = exponentBits == 0 ? -1074 : exponentBits - 1075;

        BigInteger tenths;
        if (exponent >= 0)
        {
            tenths = new BigInteger(mantissa) * 10 << exponent;
        }
        else
        {
            var numerator = new BigInteger(mantissa) * 10;
            var denominator = BigInteger.One << -exponent;
            tenths = BigInteger.DivRem(numerator, denominator, out var remainder);
            var twice = remainder * 2;
            if (twice > denominator || (twice == denominator && !tenths.IsEven))
            {
                tenths += 1;
            }
        }

        var whole = BigInteger.DivRem(tenths, 10, out var digit);
        return string.Create(CultureInfo.InvariantCulture, $"{(negative ? "-" : "")}{whole}.{digit}");
    }

    /// <summary>
    /// Python 3's <c>float(text)</c>: surrounding whitespace ignored, Unicode decimal digits and whitespace
    /// accepted, optional sign, underscores only between digits, "inf"/"infinity"/"nan" in any case.
    /// </summary>
    public static bool TryParse(string text, out double value)
    {
        value = 0;
        var ascii = ToAscii(text);
        if (ascii is null)
        {
            return false;
        }

        ascii = ascii.Trim(' ', '\t', '\n', '\v', '\f', '\r');
        if (!UnderscoresBetweenDigits(ascii))
        {
            return false;
        }

        ascii = ascii.Replace("_", "", StringComparison.Ordinal);
        var match = FloatLiteral().Match(ascii);
        if (!match.Success)
        {
            return false;
        }

        var negative = ascii[0] == '-';
        if (match.Groups["inf"].Success)
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        if (match.Groups["nan"].Success)
        {
            value = double.NaN;
            return true;
        }

        // .NET parsing is correctly rounded (and overflows to infinity) like Python's.
        value = double.Parse(ascii, NumberStyles.Float, CultureInfo.InvariantCulture);
        return true;
    }

    // Python maps non-ASCII whitespace to ' ' and Unicode decimal digits to ASCII; any other non-ASCII
    // character makes the text invalid. ASCII characters pass through unchanged.
    private static string? ToAscii(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value < 127)
            {
                builder.Append((char)rune.Value);
            }
            else if (Rune.IsWhiteSpace(rune))
            {
                builder.Append(' ');
            }
            else if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.DecimalDigitNumber)
            {
                builder.Append((char)('0' + (int)Rune.GetNumericValue(rune)));
            }
            else
            {
                return null;
            }
        }

        return builder.ToString();
    }

    private static bool UnderscoresBetweenDigits(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '_' && (i == 0 || i == text.Length - 1 || !char.IsAsciiDigit(text[i - 1]) || !char.IsAsciiDigit(text[i + 1])))
            {
                return false;
            }
        }

        return true;
    }

    [GeneratedRegex(@"^[+-]?(?:(?<inf>inf(?:inity)?)|(?<nan>nan)|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\z",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FloatLiteral();
}
