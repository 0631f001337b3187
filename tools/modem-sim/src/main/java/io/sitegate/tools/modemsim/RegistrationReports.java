package io.sitegate.tools.modemsim;

/**
 * Formats {@code +CREG}, {@code +CGREG} and {@code +CEREG} read answers and URCs per report mode n
 * (27.007 §7.2, §10.1.20, §10.1.22): n=0 no URC, n=1 status only, n=2 with area, cell and AcT.
 */
public final class RegistrationReports {

    private RegistrationReports() {
    }

    /** @return the read answer, e.g. {@code +CEREG: 2,1,"1A2B","01A2B3C4",7} */
    public static String read(String name, int mode, Registration.View v) {
        StringBuilder sb = new StringBuilder(name).append(": ").append(mode).append(',').append(v.stat());
        if (mode >= 2 && v.registered()) {
            sb.append(location(v));
        }
        return sb.toString();
    }

    /** @return the URC for the mode, or null when the mode reports nothing */
    public static String urc(String name, int mode, Registration.View v) {
        if (mode <= 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder(name).append(": ").append(v.stat());
        if (mode >= 2 && v.registered()) {
            sb.append(location(v));
        }
        return sb.toString();
    }

    private static String location(Registration.View v) {
        return ",\"" + v.area() + "\",\"" + v.cellId() + "\"," + v.act();
    }
}
