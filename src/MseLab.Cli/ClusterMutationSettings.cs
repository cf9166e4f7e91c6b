using System.ComponentModel;
using Spectre.Console.Cli;

namespace MseLab.Cli;

/// <summary>Settings of the commands that change a lab (submit, cancel, drain): with <c>--cluster</c> they act as a token's user.</summary>
internal class ClusterMutationSettings : ClusterSettings
{
    public const string TokenVariable = "MSELAB_TOKEN";

    [CommandOption("--token <TOKEN>")]
    [Description("With --cluster: your API token (mselab_ID_SECRET, from `mselab token create`); also MSELAB_TOKEN, or Auth:Token in the profile. Not needed for the embedded store.")]
    public string? Token { get; init; }
}
