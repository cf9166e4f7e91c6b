namespace MseLab.Models.Prompting;

/// <summary>How a regression label is written as the training target text.</summary>
public enum RegressionLabelStyle
{
    /// <summary>Python <c>f"{label:.1f}"</c>: <c>-1.2</c>, <c>0.4</c>, <c>-0.0</c> (ChatGLM3, LLaMA-2).</summary>
    OneDecimal,

    /// <summary>
    /// Python <c>f"+{label:.1f}" if label &gt;= 0 else f"{label:.1f}"</c> (Qwen-1): <c>+0.4</c>, <c>-1.2</c>.
    /// A negative zero passes the test and becomes <c>+-0.0</c>; −0.04 fails it and becomes <c>-0.0</c>.
    /// </summary>
    OneDecimalPlusForNonNegative,
}
