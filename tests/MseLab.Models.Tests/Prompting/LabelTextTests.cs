using System.Globalization;
using System.Text.Json.Nodes;
using MseLab.Experiments.Backbones;
using MseLab.Models.Prompting;
using MseLab.Models.Tests.Support;

namespace MseLab.Models.Tests.Prompting;

public sealed class LabelTextTests
{
    private static readonly string Script = Path.Combine("Prompting", "python", "label_text_reference.py");

    [Theory]
    [InlineData(-0.04f, BackboneFamily.Llama2, "-0.0")]
    [InlineData(0.25f, BackboneFamily.Llama2, "0.2")]
    [InlineData(0.35f, BackboneFamily.Llama2, "0.3")]
    [InlineData(0.15f, BackboneFamily.ChatGLM3, "0.2")]
    [InlineData(0.75f, BackboneFamily.ChatGLM3, "0.8")]
    [InlineData(-0.25f, BackboneFamily.ChatGLM3, "-0.2")]
    [InlineData(2.95f, BackboneFamily.ChatGLM3, "3.0")]
    [InlineData(-1.2f, BackboneFamily.Llama2, "-1.2")]
    [InlineData(0.4f, BackboneFamily.Qwen1, "+0.4")]
    [InlineData(0f, BackboneFamily.Qwen1, "+0.0")]
    [InlineData(-0f, BackboneFamily.Qwen1, "+-0.0")]
    [InlineData(-0.04f, BackboneFamily.Qwen1, "-0.0")]
    [InlineData(-1.2f, BackboneFamily.Qwen1, "-1.2")]
    public void Format_Regression_WritesWhatPythonWrites(float label, BackboneFamily family, string expected)
    {
        Assert.Equal(expected, LabelText.Format(label, family, classification: false));
    }

    [Fact]
    public void Format_ManyFloat32Values_MatchesPythonFormatting()
    {
        var values = new List<float> { 0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue, 1e-8f, -1e-8f, 123456.78f };
        for (var k = -400; k <= 400; k++)
        {
            values.Add((float)(k / 100.0));
            values.Add((float)(k * 0.05)); // many exact or near ties at the second decimal
            values.Add(k / 40f);           // exact binary ties such as 0.025 * 10
        }

        var random = new Random(20250217);
        for (var i = 0; i < 3000; i++)
        {
            values.Add((float)((random.NextDouble() * 7) - 3.5));
        }

        var bits = values.Select(v => BitConverter.SingleToUInt32Bits(v).ToString("x8", CultureInfo.InvariantCulture));
        var reference = DebianPython.Run(Script, new JsonObject
        {
            ["labels"] = new JsonArray([.. bits.Select(b => (JsonNode?)b)]),
            ["decoded"] = new JsonArray(),
        });

        for (var i = 0; i < values.Count; i++)
        {
            Assert.Equal((string?)reference["plain"]![i], LabelText.Format(values[i], BackboneFamily.Llama2, classification: false));
            Assert.Equal((string?)reference["plain"]![i], LabelText.Format(values[i], BackboneFamily.ChatGLM3, classification: false));
            Assert.Equal((string?)reference["qwen"]![i], LabelText.Format(values[i], BackboneFamily.Qwen1, classification: false));
        }
    }

    [Theory]
    [InlineData(3f, "3")]
    [InlineData(0f, "0")]
    [InlineData(6f, "6")]
    public void Format_Classification_WritesTheClassIndex(float label, string expected)
    {
        foreach (var family in Enum.GetValues<BackboneFamily>())
        {
            Assert.Equal(expected, LabelText.Format(label, family, classification: true));
        }
    }

    [Theory]
    [InlineData(2.5f, true)]
    [InlineData(float.NaN, false)]
    [InlineData(float.PositiveInfinity, false)]
    public void Format_InvalidLabel_Throws(float label, bool classification)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LabelText.Format(label, BackboneFamily.Llama2, classification));
    }

    [Theory]
    [InlineData("-1.2", false, -1.2f)]
    [InlineData(" +0.4", false, 0.4f)]
    [InlineData("–0.8", false, -0.8f)]
    [InlineData("一0.6", false, -0.6f)]
    [InlineData("：0.5/", false, 0.5f)]
    [InlineData("(1:0", false, 10f)]
    [InlineData("abc", false, 0f)]
    [InlineData("", true, 0f)]
    [InlineData(" 3", true, 3f)]
    [InlineData("3.", true, 3f)]
    [InlineData("nan", false, 0f)]
    [InlineData("-inf", true, 0f)]
    [InlineData("1e39", false, 0f)]
    [InlineData("–0.8", true, 0f)]
    public void Parse_GeneratedText_FollowsTheOfficialRules(string text, bool classification, float expected)
    {
        Assert.Equal(expected, LabelText.Parse(text, classification));
    }

    [Fact]
    public void Parse_ManyStrings_MatchesPythonFloat()
    {
        string[] texts =
        [
            "-1.2", "0.4", " 0.4 ", "+0.4", "-0.0", "3", "3.0", "\t-2.5\n", "–0.8", "一0.6", "：0.5", "0.5/", "(1.0", ":2",
            "1:2", "1_0", "1__0", "_1", "1_", "1_.5", "1._5", "١.٥", "\u30001.5\u3000", "\u00a0-1\u2028", "\u001c1", "5.", ".5", ".",
            "inf", "-Infinity", "+iNf", "nan", "-NaN", "infinit", "1e400", "-1e400", "1e-50", "abc", "", " ", "\u25813",
            "1.2.3", "+-1", "--1", "\u22121", "1e5", "1E+05", "1e", "e5", "0x10", "1,5", "१२", "\U0001D7D1", "１２．５", "0.4 0.5",
            "-", "+", "3\u0000", "1\u007f",
        ];
        var reference = DebianPython.Run(Script, new JsonObject
        {
            ["labels"] = new JsonArray(),
            ["decoded"] = new JsonArray([.. texts.Select(t => (JsonNode?)t)]),
        });

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.True(
                Expected((string)reference["regression"]![i]!) == LabelText.Parse(texts[i], classification: false),
                $"regression parse of \"{texts[i]}\": Python gave {reference["regression"]![i]}");
            Assert.True(
                Expected((string)reference["classification"]![i]!) == LabelText.Parse(texts[i], classification: true),
                $"classification parse of \"{texts[i]}\": Python gave {reference["classification"]![i]}");
        }
    }

    // Python's result, with MseLab's rules on top: a failure is 0.0, and so is anything non-finite in float32.
    private static float Expected(string pythonRepr)
    {
        if (pythonRepr is "ERR" or "inf" or "-inf" or "nan")
        {
            return 0f;
        }

        var value = (float)double.Parse(pythonRepr, CultureInfo.InvariantCulture);
        return float.IsFinite(value) ? value : 0f;
    }
}
