namespace AgenteVendedor.Retrieval;

/// <summary>
/// Words that name the same thing in different Latin American countries (or in shop talk and
/// everyday talk). A query term brings its group's other terms along, weighted a little lower.
/// </summary>
public static class Synonyms
{
    private static readonly string[][] Groups =
    [
        ["celular", "movil", "telefono movil", "smartphone"],
        ["nevera", "refrigerador", "refrigeradora", "heladera", "frigorifico"],
        ["audifonos", "auriculares", "cascos", "headset"],
        ["portatil", "laptop", "notebook", "computador portatil"],
        ["computador", "computadora", "ordenador", "pc"],
        ["televisor", "television", "tv", "tele"],
        ["foco", "bombillo", "bombilla", "ampolleta", "bombita"],
        ["grifo", "griferia", "canilla", "mezcladora"],
        ["inodoro", "sanitario", "excusado", "retrete", "wc"],
        ["enchufe", "tomacorriente"],
        ["pulidora", "esmeriladora", "amoladora", "radial"],
        ["tarugo", "chazo", "taco", "anclaje", "ancla"],
        ["flexometro", "cinta metrica"],
        ["destornillador", "desarmador", "atornillador"],
        ["inalambrico", "recargable"],
        ["bulto", "bolsa", "saco"],
        ["varilla", "hierro", "fierro", "acero corrugado"],
        ["tubo", "tuberia", "caño", "cano"],
        ["sellador", "silicona", "silicon"],
        ["pegamento", "pegante", "soldadura", "adhesivo"],
        ["vinilo", "latex", "pintura de agua"],
        ["concreto", "hormigon"],
        ["cerradura", "chapa", "cerrojo"],
        ["gafas", "lentes", "anteojos", "proteccion ojos"],
        ["guantes", "guante"],
        ["manguera", "tubo flexible"],
        ["zapatos", "calzado", "zapatillas", "tenis"],
        ["camiseta", "playera", "remera", "polera", "polo"],
        ["chaqueta", "campera", "chamarra", "casaca"],
        ["pantalon", "jean", "vaquero", "mezclilla"],
        ["carro", "auto", "coche", "automovil", "vehiculo"],
        ["aguacate", "palta"],
        ["frijol", "poroto", "caraota", "judia", "alubia"],
        ["maiz", "choclo", "elote"],
    ];

    private static readonly Dictionary<string, List<string>> ByTerm = Build();

    private static Dictionary<string, List<string>> Build()
    {
        var map = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var group in Groups)
        {
            var stems = group.Select(p => string.Join(' ', SpanishAnalyzer.Terms(p))).Where(s => s.Length > 0).Distinct().ToList();
            foreach (var stem in stems.Where(s => !s.Contains(' ')))
            {
                if (!map.TryGetValue(stem, out var list))
                {
                    map[stem] = list = [];
                }

                list.AddRange(stems.Where(s => s != stem && !list.Contains(s)));
            }
        }

        return map;
    }

    /// <summary>The other terms (stemmed; a multi-word synonym comes split) of the term's groups.</summary>
    public static IEnumerable<string> For(string stemmedTerm) =>
        ByTerm.TryGetValue(stemmedTerm, out var others) ? others.SelectMany(o => o.Split(' ')) : [];
}
