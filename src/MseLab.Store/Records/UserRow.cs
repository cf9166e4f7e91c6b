namespace MseLab.Store.Records;

/// <summary>A user of a lab, as <c>mselab user list</c> shows it.</summary>
public sealed record UserRow(string Name, UserRole Role, DateTime CreatedAt);
