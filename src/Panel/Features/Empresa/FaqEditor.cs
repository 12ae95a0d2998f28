using AgenteVendedor.Panel.Api;

namespace AgenteVendedor.Panel.Features.Empresa;

/// <summary>
/// The FAQ being edited: rows that can be added and removed, the list sent with <c>PUT /empresa</c> (rows left
/// entirely blank are not sent), and the Api's refusals (<c>preguntas_frecuentes[3].respuesta</c>) put back on
/// the row they are about, whichever rows were skipped.
/// </summary>
public sealed class FaqEditor
{
    // The Api's limits (docs/API.md, Empresa).
    public const int MaxEntries = 50;
    public const int MaxQuestion = 300;
    public const int MaxAnswer = 2000;

    private readonly List<Row> _rows;
    private List<Row> _sent = [];
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();

    public FaqEditor(IEnumerable<PreguntaFrecuente> entries)
    {
        _rows = entries.Select(e => new Row { Pregunta = e.Pregunta, Respuesta = e.Respuesta }).ToList();
    }

    public IReadOnlyList<Row> Rows => _rows;

    public bool CanAdd => _rows.Count < MaxEntries;

    public void Add()
    {
        if (CanAdd)
        {
            _rows.Add(new Row());
        }
    }

    public void Remove(Row row) => _rows.Remove(row);

    /// <summary>The list to send; the rows it holds are remembered so the Api's positions can be mapped back.</summary>
    public IReadOnlyList<PreguntaFrecuente> ToRequest()
    {
        _sent = _rows.Where(r => !string.IsNullOrWhiteSpace(r.Pregunta) || !string.IsNullOrWhiteSpace(r.Respuesta)).ToList();
        return _sent.Select(r => new PreguntaFrecuente(r.Pregunta.Trim(), r.Respuesta.Trim())).ToList();
    }

    public void ShowErrors(ApiProblem? problem) => _errors = problem?.Errors ?? new Dictionary<string, string[]>();

    /// <summary>The Api's message for one field of one row (<c>pregunta</c> or <c>respuesta</c>), or null.</summary>
    public string? ErrorOf(Row row, string field)
    {
        var position = _sent.IndexOf(row);
        return position >= 0 && _errors.TryGetValue($"preguntas_frecuentes[{position}].{field}", out var messages) && messages.Length > 0
            ? string.Join(" ", messages)
            : null;
    }

    public sealed class Row
    {
        public string Pregunta { get; set; } = "";

        public string Respuesta { get; set; } = "";
    }
}
