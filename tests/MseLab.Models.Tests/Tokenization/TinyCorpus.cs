namespace MseLab.Models.Tests.Tokenization;

/// <summary>A small mixed corpus for tokenizer tests; it never contains 情, 感 or 为.</summary>
internal static class TinyCorpus
{
    public static IReadOnlyList<string> Lines { get; } =
    [
        "the movie was great and the actors were great",
        "i did not like the movie at all",
        "the sentiment is -1.2 and the emotion is 3",
        "The sentiment is +0.4",
        "the plot was slow but the music was lovely",
        "Please predict the sentiment intensity of the above multimodal content in the range [-3.0, +3.0].",
        "Assistant: The sentiment is -0.0",
        "she said that the ending was sad, sad, sad",
        "numbers like 2.5 and -2.8 and 1.0 appear here",
        "我们喜欢这部电影",
        "这部电影很好看",
        "<Multimodal> tags appear too </Multimodal>",
        "tabs\tand\nnew lines are characters",
        "emoji 😀 rarely appear",
        "a literal <s> and </s> and <0x41> in text",
        "wait.... 1111 zzzz ooooo",
    ];

    public static IEnumerable<string> Repeated(int times) => Enumerable.Repeat(Lines, times).SelectMany(l => l);
}
