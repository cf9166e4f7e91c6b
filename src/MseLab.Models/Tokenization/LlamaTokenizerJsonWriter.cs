using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MseLab.Models.Tokenization;

/// <summary>
/// Writes a tokenizer.json laid out like the one Hugging Face publishes for LLaMA-2 (meta-llama/Llama-2-7b-hf):
/// SentencePiece-style BPE with byte fallback, "a b" merge strings, the Prepend/Replace normaliser, no
/// pre-tokenizer, a <c>&lt;s&gt;</c>-adding template and the Replace/ByteFallback/Fuse/Strip decoder.
/// </summary>
internal static class LlamaTokenizerJsonWriter
{
    public static string Write(IReadOnlyList<string> vocab, IReadOnlyList<(string Left, string Right)> merges)
    {
        using var buffer = new MemoryStream();
        var options = new JsonWriterOptions
        {
            Indented = true,
            // Hugging Face writes "▁" and other non-ASCII text as UTF-8, not as \u escapes.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        using (var json = new Utf8JsonWriter(buffer, options))
        {
            json.WriteStartObject();
            json.WriteString("version", "1.0");
            json.WriteNull("truncation");
            json.WriteNull("padding");
            WriteAddedTokens(json);
            WriteNormalizer(json);
            json.WriteNull("pre_tokenizer");
            WritePostProcessor(json);
            WriteDecoder(json);
            WriteModel(json, vocab, merges);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteAddedTokens(Utf8JsonWriter json)
    {
        json.WriteStartArray("added_tokens");
        string[] specials = [BpeTokenizerTrainer.UnknownToken, BpeTokenizerTrainer.BosToken, BpeTokenizerTrainer.EosToken];
        for (var id = 0; id < specials.Length; id++)
        {
            json.WriteStartObject();
            json.WriteNumber("id", id);
            json.WriteString("content", specials[id]);
            json.WriteBoolean("single_word", false);
            json.WriteBoolean("lstrip", false);
            json.WriteBoolean("rstrip", false);
            json.WriteBoolean("normalized", false);
            json.WriteBoolean("special", true);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteNormalizer(Utf8JsonWriter json)
    {
        var boundary = BpeTokenizerTrainer.WordBoundary.ToString();
        json.WriteStartObject("normalizer");
        json.WriteString("type", "Sequence");
        json.WriteStartArray("normalizers");
        json.WriteStartObject();
        json.WriteString("type", "Prepend");
        json.WriteString("prepend", boundary);
        json.WriteEndObject();
        WriteReplace(json, " ", boundary);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WritePostProcessor(Utf8JsonWriter json)
    {
        var bos = BpeTokenizerTrainer.BosToken;
        json.WriteStartObject("post_processor");
        json.WriteString("type", "TemplateProcessing");
        json.WriteStartArray("single");
        WriteTemplatePiece(json, "SpecialToken", bos, 0);
        WriteTemplatePiece(json, "Sequence", "A", 0);
        json.WriteEndArray();
        json.WriteStartArray("pair");
        WriteTemplatePiece(json, "SpecialToken", bos, 0);
        WriteTemplatePiece(json, "Sequence", "A", 0);
        WriteTemplatePiece(json, "SpecialToken", bos, 1);
        WriteTemplatePiece(json, "Sequence", "B", 1);
        json.WriteEndArray();
        json.WriteStartObject("special_tokens");
        json.WriteStartObject(bos);
        json.WriteString("id", bos);
        json.WriteStartArray("ids");
        json.WriteNumberValue(BpeTokenizerTrainer.BosId);
        json.WriteEndArray();
        json.WriteStartArray("tokens");
        json.WriteStringValue(bos);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteTemplatePiece(Utf8JsonWriter json, string kind, string id, int typeId)
    {
        json.WriteStartObject();
        json.WriteStartObject(kind);
        json.WriteString("id", id);
        json.WriteNumber("type_id", typeId);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteDecoder(Utf8JsonWriter json)
    {
        json.WriteStartObject("decoder");
        json.WriteString("type", "Sequence");
        json.WriteStartArray("decoders");
        WriteReplace(json, BpeTokenizerTrainer.WordBoundary.ToString(), " ");
        json.WriteStartObject();
        json.WriteString("type", "ByteFallback");
        json.WriteEndObject();
        json.WriteStartObject();
        json.WriteString("type", "Fuse");
        json.WriteEndObject();
        json.WriteStartObject();
        json.WriteString("type", "Strip");
        json.WriteString("content", " ");
        json.WriteNumber("start", 1);
        json.WriteNumber("stop", 0);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteReplace(Utf8JsonWriter json, string pattern, string content)
    {
        json.WriteStartObject();
        json.WriteString("type", "Replace");
        json.WriteStartObject("pattern");
        json.WriteString("String", pattern);
        json.WriteEndObject();
        json.WriteString("content", content);
        json.WriteEndObject();
    }

    private static void WriteModel(Utf8JsonWriter json, IReadOnlyList<string> vocab, IReadOnlyList<(string Left, string Right)> merges)
    {
        json.WriteStartObject("model");
        json.WriteString("type", "BPE");
        json.WriteNull("dropout");
        json.WriteString("unk_token", BpeTokenizerTrainer.UnknownToken);
        json.WriteNull("continuing_subword_prefix");
        json.WriteNull("end_of_word_suffix");
        json.WriteBoolean("fuse_unk", true);
        json.WriteBoolean("byte_fallback", true);
        json.WriteStartObject("vocab");
        for (var id = 0; id < vocab.Count; id++)
        {
            json.WriteNumber(vocab[id], id);
        }

        json.WriteEndObject();
        json.WriteStartArray("merges");
        foreach (var (left, right) in merges)
        {
            json.WriteStringValue(string.Create(CultureInfo.InvariantCulture, $"{left} {right}"));
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
