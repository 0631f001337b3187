package io.sitegate.modem;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The +COPS read response: {@code +COPS: <mode>[,<format>,<oper>[,<AcT>]]}.
 *
 * @param mode 0 automatic, 1 manual, 2 deregistered, 3 set format only, 4 manual/automatic
 * @param format 0 long alphanumeric, 1 short alphanumeric, 2 numeric
 * @param operator the operator in that format
 * @param accessTechnology the {@code <AcT>}
 */
public record OperatorSelection(int mode, OptionalInt format, Optional<String> operator,
                                Optional<AccessTechnology> accessTechnology) {

    /** The numeric PLMN (MCC+MNC) when the format is numeric. */
    public Optional<String> plmn() {
        return format.isPresent() && format.getAsInt() == 2 ? operator : Optional.empty();
    }
}
