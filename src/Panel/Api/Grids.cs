using MudBlazor;

namespace AgenteVendedor.Panel.Api;

/// <summary>An Api page as a server-paged grid's data: its rows and total, or no rows when the call was refused.</summary>
public static class Grids
{
    public static GridData<T> From<T>(ApiResult<Page<T>> page) => page.Value is { } found
        ? new GridData<T> { Items = found.Items, TotalItems = (int)Math.Min(found.Total, int.MaxValue) }
        : new GridData<T> { Items = [], TotalItems = 0 };
}
