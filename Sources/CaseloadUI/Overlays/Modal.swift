import CaseloadCore
import Foundation

// The modal question over everything else: its placement and keys; ModalAnswers.swift routes each answer to the code that asked.

/// A small dialog over everything else (forms included); it takes the keys until answered.
public enum Modal: Equatable, Sendable {
    case choice(ChoiceDialog, ChoicePurpose)
    case prompt(TextPrompt, PromptPurpose)
    case picker(Picker, PickerPurpose)
}

/// Where a modal is drawn.
func modalRect(_ state: AppState, _ modal: Modal) -> Rect {
    let screen = Rect(x: 0, y: 1, width: state.width, height: max(0, state.height - 2))
    switch modal {
    case .choice(let dialog, _): return dialog.overlayRect(in: screen, maxWidth: 70)
    case .prompt(let prompt, _): return prompt.overlayRect(in: screen, maxWidth: 64)
    case .picker(let picker, _): return picker.overlayRect(in: screen, maxWidth: 64)
    }
}

func openModal(_ state: inout AppState, _ modal: Modal) {
    state.modal = modal
    layoutModal(&state)
}

func layoutModal(_ state: inout AppState) {
    guard let modal = state.modal else { return }
    let rect = modalRect(state, modal)
    switch modal {
    case .prompt(var prompt, let purpose):
        prompt.layout(in: rect)
        state.modal = .prompt(prompt, purpose)
    case .picker(var picker, let purpose):
        picker.layout(in: rect)
        state.modal = .picker(picker, purpose)
    case .choice:
        break
    }
}

func handleModalKey(_ state: inout AppState, _ key: Key) -> [Effect] {
    guard let modal = state.modal else { return [] }
    switch modal {
    case .choice(let dialog, let purpose):
        if dialog.isCancel(key) {
            state.modal = nil
            if case .conflicts(let pending) = purpose, pending.endsMove { state.message = StatusMessage("Still moving: Enter places it, Esc puts it back") }
            return []
        }
        guard let answer = dialog.answer(for: key) else { return [] }
        state.modal = nil
        return answerChoice(&state, purpose, answer)
    case .prompt(var prompt, let purpose):
        let outcome = prompt.handle(key)
        switch outcome {
        case .none:
            if case .goToDate = purpose {
                prompt.preview = DateInput.parse(prompt.text, today: state.today).map { "→ " + Form.dateText($0) }
            }
            state.modal = .prompt(prompt, purpose)
            layoutModal(&state)
            return []
        case .cancel:
            state.modal = nil
            return []
        case .submit(let text):
            return answerPrompt(&state, prompt, purpose, text.trimmingCharacters(in: .whitespaces))
        }
    case .picker(var picker, let purpose):
        let outcome = picker.handle(key)
        switch outcome {
        case .none:
            state.modal = .picker(picker, purpose)
            layoutModal(&state)
        case .cancel:
            state.modal = nil
        case .done:
            state.modal = nil
            return answerPicker(&state, picker, purpose)
        }
        return []
    }
}
