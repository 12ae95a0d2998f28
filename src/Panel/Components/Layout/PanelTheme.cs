using MudBlazor;

namespace AgenteVendedor.Panel.Components.Layout;

public static class PanelTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight { Primary = "#0f766e", AppbarBackground = "#0f766e", Secondary = "#b45309" },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"] },
        },
    };
}
