namespace AgenteVendedor.Api.Infrastructure;

public static class Paging
{
    public const int DefaultSize = 50;
    public const int MaxSize = 500;

    /// <summary>Checks ?pagina= and ?tamano=; both are optional.</summary>
    public static (int Page, int Size) Read(Validation validation, int? pagina, int? tamano)
    {
        var page = pagina ?? 1;
        var size = tamano ?? DefaultSize;
        if (page < 1)
        {
            validation.Add("pagina", "Debe ser 1 o mayor.");
        }

        if (size is < 1 or > MaxSize)
        {
            validation.Add("tamano", $"Debe estar entre 1 y {MaxSize}.");
        }

        return (page, size);
    }
}
