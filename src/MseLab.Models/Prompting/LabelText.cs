using System.Globalization;
using MseLab.Experiments.Backbones;

namespace MseLab.Models.Prompting;

/// <summary>
/// Label targets as text and generated text back to numbers, exactly as MSE-Adapter's Python code does
/// (spec §1.8).
/// </summary>
public static class LabelText
{
    /// <summary>
    /// The training target text for <paramref name="label"/> (a float32 value, widened to double as
    /// <c>tensor.item()</c> does). Regression: Python <c>f"{label:.1f}"</c> (ties to even on the exact binary value:
    /// 0.25 → "0.2", 0.35f → "0.3", −0.04 → "-0.0"), with Qwen-1's "+" for labels ≥ 0 (so −0.0 → "+-0.0", while
    /// −0.04 → "-0.0"). Classification: the class index as an integer, e.g. "3".
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The label is NaN or infinite, or a class label is not a whole number.</exception>
    public static string Format(float label, BackboneFamily family, bool classification)
    {
        if (classification)
        {
            return FormatClass(label);
        }

        return FormatRegression(label, BackboneProfiles.For(family).RegressionLabelStyle);
    }

    /// <summary>A regression label in <paramref name="style"/>; see <see cref="Format"/>.</summary>
    public static string FormatRegression(float label, RegressionLabelStyle style)
    {
        if (!float.IsFinite(label))
        {
            // Python would write "nan"/"inf"; such a label is broken data and must not become a target.
            throw new ArgumentOutOfRangeException(nameof(label), label, "A regression label must be finite; check the data set.");
        }

        double widened = label;
        var text = PythonFloatText.FormatOneDecimal(widened);
        return style switch
        {
            RegressionLabelStyle.OneDecimal => text,
            // Python's test is label >= 0, true for -0.0, so negative zero becomes "+-0.0" as in the original.
            RegressionLabelStyle.OneDecimalPlusForNonNegative => widened >= 0 ? "+" + text : text,
            _ => throw new ArgumentOutOfRangeException(nameof(style), style, "Unknown label style."),
        };
    }

    private static string FormatClass(float label)
    {
        if (!float.IsFinite(label) || label != MathF.Round(label) || Math.Abs(label) > 1e6f)
        {
            throw new ArgumentOutOfRangeException(nameof(label), label, "A class label must be a whole number (a class index).");
        }

        return ((int)label).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Parses generated text as the official code does. Regression: replace the en dash "–" and the Chinese "一"
    /// with "-", remove "：", "/", "(" and ":", then Python <c>float()</c>. Classification: <c>float()</c> on the
    /// text as is. Any parse failure gives 0.0, as in the original.
    /// </summary>
    /// <remarks>
    /// Deviation: Python's <c>float()</c> also accepts "nan", "inf" and overflowing numbers; MseLab maps every
    /// non-finite result (also after narrowing to float32, where the predictions live) to 0.0 as well. A NaN
    /// would make MAE and correlation NaN for the whole evaluation, and an infinity would make MAE infinite.
    /// </remarks>
    public static float Parse(string decoded, bool classification)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        var text = classification ? decoded : CleanRegression(decoded);
        if (!PythonFloatText.TryParse(text, out var value))
        {
            return 0f;
        }

        var narrowed = (float)value;
        return float.IsFinite(narrowed) ? narrowed : 0f;
    }

    private static string CleanRegression(string text) => text
        .Replace('\u2013', '-')  // en dash
        .Replace('\u4e00', '-')  // 一, "one", which the model may emit for a minus
        .Replace("\uff1a", "", StringComparison.Ordinal)  // full-width colon
        .Replace("/", "", StringComparison.Ordinal)
        .Replace("(", "", StringComparison.Ordinal)
        .Replace(":", "", StringComparison.Ordinal);
}
