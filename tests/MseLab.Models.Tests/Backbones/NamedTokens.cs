using MseLab.Models.Tokenization;

namespace MseLab.Models.Tests.Backbones;

/// <summary>A tokenizer that only knows a few named tokens (what the decoder's stop rule looks up) and decodes ids as text.</summary>
internal sealed class NamedTokens(IReadOnlyDictionary<string, int> tokens, int vocabSize) : ITextTokenizer
{
    public int VocabSize => vocabSize;

    public int[] Encode(string text, bool addSpecialTokens) => throw new NotSupportedException();

    // Special tokens decode to nothing, every other id to "<id>".
    public string Decode(IReadOnlyList<int> ids) => string.Concat(ids.Where(id => !tokens.Values.Contains(id)).Select(id => $"<{id}>"));

    public int TokenToId(string token) => TryTokenToId(token, out var id) ? id : throw new KeyNotFoundException($"no token '{token}'");

    public bool TryTokenToId(string token, out int id) => tokens.TryGetValue(token, out id);

    public void Dispose()
    {
    }
}
