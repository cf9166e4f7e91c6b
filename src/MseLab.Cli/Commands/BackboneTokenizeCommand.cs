using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using MseLab.Experiments.Backbones;
using MseLab.Models.Backbones;
using Spectre.Console;
using Spectre.Console.Cli;

namespace MseLab.Cli.Commands;

/// <summary>
/// <c>mselab backbone tokenize</c>: the ids the model's own tokenizer gives a text, as Hugging Face's <c>encode(text)</c>
/// with default arguments (LLaMA: a leading BOS; Qwen-1: no BOS, special-token text recognised; ChatGLM3: <c>[gMASK] sop</c>
/// first, role strings in the text kept as text).
/// </summary>
internal sealed class BackboneTokenizeCommand : Command<BackboneTokenizeCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--model <DIR>")]
        [Description("Hugging Face model directory; config.json names the family (llama, qwen, chatglm) and the tokenizer files are read from it.")]
        public string Model { get; init; } = "";

        [CommandOption("--text <TEXT>")]
        [Description("The text to encode.")]
        public string? Text { get; init; }

        [CommandOption("--json")]
        [Description("Print {\"ids\": [[...]]}.")] // [[ ]] is Spectre markup for [ ]
        public bool Json { get; init; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrWhiteSpace(Model))
            {
                return ValidationResult.Error("--model DIR is required.");
            }

            return Text is null ? ValidationResult.Error("--text TEXT is required (use --text \"\" for the empty text).") : ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var tokenizer = BackboneLoader.LoadTokenizer(settings.Model, BackboneFamilies.Detect(settings.Model));
        var ids = tokenizer.Encode(settings.Text!, addSpecialTokens: true);
        if (settings.Json)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(new { ids }));
            return 0;
        }

        var table = new Table().AddColumns("position", "token id", "text");
        for (var i = 0; i < ids.Length; i++)
        {
            table.AddRow(i.ToString(CultureInfo.InvariantCulture), ids[i].ToString(CultureInfo.InvariantCulture), Markup.Escape(tokenizer.Decode([ids[i]])));
        }

        AnsiConsole.Write(table);
        return 0;
    }
}
