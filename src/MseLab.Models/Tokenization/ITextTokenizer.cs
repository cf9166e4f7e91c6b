namespace MseLab.Models.Tokenization;

/// <summary>
/// A backbone's tokenizer as MSE-Adapter uses it: text to ids with or without the tokenizer's own special
/// tokens, ids back to text without special tokens, and token look-up. Implemented for Hugging Face
/// <c>tokenizer.json</c> files (LLaMA-2) by <see cref="HfJsonTokenizer"/>; Qwen-1 (tiktoken) and ChatGLM3
/// (SentencePiece <c>.model</c>) fit the same contract.
/// </summary>
public interface ITextTokenizer : IDisposable
{
    /// <summary>
    /// One more than the highest token id the tokenizer knows (model vocabulary and added tokens): the number
    /// of rows an embedding table must have at least.
    /// </summary>
    int VocabSize { get; }

    /// <summary>
    /// Encodes <paramref name="text"/>. With <paramref name="addSpecialTokens"/> the tokenizer adds what the
    /// Hugging Face call <c>tokenizer(text, add_special_tokens=True)</c> adds (LLaMA-2: a leading <c>&lt;s&gt;</c>;
    /// ChatGLM3: <c>[gMASK] sop</c>; Qwen-1: nothing). Special-token text inside <paramref name="text"/> is
    /// recognised either way, as in Hugging Face.
    /// </summary>
    int[] Encode(string text, bool addSpecialTokens);

    /// <summary>
    /// Decodes <paramref name="ids"/> and drops special tokens, like Hugging Face
    /// <c>decode(ids, skip_special_tokens=True)</c>. Ids the tokenizer does not know are skipped, as there.
    /// </summary>
    string Decode(IReadOnlyList<int> ids);

    /// <summary>The id of <paramref name="token"/> (a vocabulary entry such as <c>"&lt;s&gt;"</c> or <c>"▁the"</c>).</summary>
    /// <exception cref="KeyNotFoundException">The token is neither in the vocabulary nor an added token; the message names it.</exception>
    int TokenToId(string token);

    /// <summary>Looks <paramref name="token"/> up; false when it is neither in the vocabulary nor an added token.</summary>
    bool TryTokenToId(string token, out int id);
}
