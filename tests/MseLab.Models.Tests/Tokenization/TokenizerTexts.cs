namespace MseLab.Models.Tests.Tokenization;

/// <summary>Texts that probe tokenizers' edge cases: scripts, emoji, astral letters, whitespace runs, digits, specials.</summary>
internal static class TokenizerTexts
{
    public static IReadOnlyList<string> Corpus { get; } =
    [
        .. TinyCorpus.Lines,
        "The quick brown fox jumps over the lazy dog 12345.",
        "你好，世界！今天天气很好。我们一起去公园吧。",
        "  leading  and   multiple   spaces\ttab  ",
        "ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３ ﬁ ligature café naïve",
        "numbers 3.14159 and 2026-12-01 and 1,000,000",
        "def main():\n    print('hello world')\t# greeting",
        "It's what they'd say, we'll see, I'm sure you've THEY'RE",
        "Привет мир, как дела? Ελληνικά κείμενα.",
    ];

    public static IReadOnlyList<string> Probes { get; } =
    [
        "", " ", "a", "  ", "Hello world", "  two  spaces ", "你好", "你好，世界", "😀 emoji and 𝐀𝐁 math 𠀀𠀁",
        "ｆｕｌｌｗｉｄｔｈ １２３", "tab\there\nnewline\r\nwindows", "12345 67 8.90", "ﬁne café naïve e\u0301",
        "\u3000ideographic space\u00a0nbsp", "xyzqv unknownzzz ÿ ß", "the movie was great and the actors were great",
        "def main():\n    print('hello world')\t# greeting", "trailing   ", "   leading", "a\n\n\nb", "\n", "\t \t",
        "It's 'S' they'D WE'LL", "<|user|> role <|assistant|> [gMASK] sop", "<s> and </s> and <unk>",
        "The sentiment is -1.2", "emoji 👨‍👩‍👧 family 🇩🇪 flag", "Привет мир", "\u0085next line\u2028sep",
        "Über 100 Möglichkeiten", "a  b   c    d", "!!!???...,,,", "x" + new string(' ', 7) + "y",
    ];
}
