namespace AgenteVendedor.Tenancy;

/// <summary>The roles of API.md, spelled as they travel in tokens and JSON.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Seller = "vendedor";
    public const string Observer = "observador";

    public static readonly IReadOnlyList<string> All = [Admin, Seller, Observer];

    public static bool IsKnown(string? role) => role is Admin or Seller or Observer;
}
