namespace AgenteVendedor.Panel.Features.Conversaciones;

/// <summary>
/// The inbox list as the page shows it: the latest change of each conversation first, an event replacing the
/// conversation's row (or adding it), never more than <see cref="Capacity"/> rows, and the filters applied.
/// </summary>
public sealed class Inbox
{
    public const int Capacity = 200;

    private readonly List<Conversacion> _rows = [];

    public string? State { get; private set; }

    public string? Channel { get; private set; }

    public IReadOnlyList<Conversacion> Rows => _rows;

    public void Reset(IEnumerable<Conversacion> rows, string? state, string? channel)
    {
        State = state;
        Channel = channel;
        _rows.Clear();
        foreach (var row in rows)
        {
            Apply(row);
        }
    }

    /// <summary>Applies a change; true when the list the user sees changed.</summary>
    public bool Apply(Conversacion change)
    {
        var index = _rows.FindIndex(r => r.Id == change.Id);
        if (index >= 0)
        {
            if (_rows[index].ActualizadoEn > change.ActualizadoEn)
            {
                return false;
            }

            _rows.RemoveAt(index);
        }

        if (!Matches(change))
        {
            return index >= 0;
        }

        var at = _rows.FindIndex(r => r.ActualizadoEn < change.ActualizadoEn);
        _rows.Insert(at < 0 ? _rows.Count : at, change);
        if (_rows.Count > Capacity)
        {
            _rows.RemoveAt(_rows.Count - 1);
        }

        return true;
    }

    private bool Matches(Conversacion c) =>
        (State is null || c.Estado == State) && (Channel is null || c.Canal == Channel);
}
